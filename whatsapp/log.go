package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// waLogger adapts whatsmeow's printf-style logger to slog.
type waLogger struct {
	log    *slog.Logger
	module string
}

func newWALogger(log *slog.Logger, module string) waLog.Logger {
	return &waLogger{log: log, module: module}
}

func (l *waLogger) logf(level slog.Level, format string, args []any) {
	// Formatting is the expensive part of whatsmeow's chatter: skip it when
	// the level is off.
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, args...), "module", l.module)
}

func (l *waLogger) Errorf(format string, args ...any) { l.logf(slog.LevelError, format, args) }
func (l *waLogger) Warnf(format string, args ...any)  { l.logf(slog.LevelWarn, format, args) }
func (l *waLogger) Infof(format string, args ...any)  { l.logf(slog.LevelInfo, format, args) }
func (l *waLogger) Debugf(format string, args ...any) { l.logf(slog.LevelDebug, format, args) }

// Sub drops the Send and Recv modules: they dump every raw protocol node,
// which carries phone numbers, keys and pairing references.
func (l *waLogger) Sub(module string) waLog.Logger {
	if module == "Send" || module == "Recv" {
		return waLog.Noop
	}
	return &waLogger{log: l.log, module: l.module + "/" + module}
}
