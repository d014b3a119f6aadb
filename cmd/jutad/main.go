// Command jutad runs the Juta session runtime.
//
//	jutad                  serve the API (configuration from JUTA_* variables)
//	jutad sim --addr A     serve the WhatsApp simulator and its phone API on A
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // zone names load on machines without a zone database

	"github.com/juta-app/juta/api"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "jutad:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx)
	case "sim":
		return runSim(ctx, args)
	case "admin":
		return runAdmin(ctx, args, os.Stdin, os.Stdout)
	case "eval":
		return runEval(ctx, args)
	case "openapi":
		doc, err := api.OpenAPIDocument()
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(append(doc, '\n'))
		return err
	case "help", "-h", "--help":
		fmt.Println("usage: jutad [serve] | jutad sim --addr HOST:PORT | jutad eval [-misses N] FILE.jsonl... | jutad openapi")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: serve, sim)", cmd)
}

func serve(ctx context.Context) error {
	cfg, err := loadConfig(environ)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	startGCFloor(ctx, uint64(cfg.GCMinHeapMB)<<20, environ("GOGC") != "", log)
	if err := startPprof(ctx, cfg.PprofAddr, log); err != nil {
		return fmt.Errorf("JUTA_PPROF_ADDR: %w", err)
	}
	m := NewMain(cfg, log)
	runErr := m.Run(ctx)
	if runErr == nil {
		<-ctx.Done()
		log.Info("shutting down")
	}
	return errors.Join(runErr, m.Close())
}

func runSim(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:7070", "listen address of the simulator (devices and phone API)")
	dup := fs.Float64("duplicate-rate", 0.01, "probability of delivering an acknowledged message once more")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, _ := loadConfig(environ)
	return serveSim(ctx, *addr, *dup, cfg.SimToken, newLogger(cfg))
}

func newLogger(cfg Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	if cfg.LogFormat == "json" {
		log = slog.New(slog.NewJSONHandler(os.Stderr, opts))
	} else {
		log = slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	// Packages that log through slog's default (migrations, libraries) and
	// the standard "log" package then write in the same, configured format.
	slog.SetDefault(log)
	return log
}
