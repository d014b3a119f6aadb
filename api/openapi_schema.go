package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/juta-app/juta"
)

// schemaGen turns the Go types the handlers encode into JSON Schema
// (2020-12, as OpenAPI 3.1 uses), so the document follows the json tags
// rather than a hand-copied description of them. Named structs become
// components referenced with $ref.
type schemaGen struct {
	defs  map[string]any
	owner map[string]reflect.Type // component name -> the type that took it
}

func newSchemaGen() *schemaGen {
	return &schemaGen{defs: map[string]any{}, owner: map[string]reflect.Type{}}
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	rawJSONType = reflect.TypeOf(json.RawMessage(nil))
)

// typeEnums are the closed sets of the domain's string types.
var typeEnums = map[reflect.Type][]string{
	reflect.TypeOf(juta.SessionState("")): {
		string(juta.StateNew), string(juta.StateQR), string(juta.StatePairing), string(juta.StateConnected),
		string(juta.StateDisconnected), string(juta.StateLoggedOut), string(juta.StateFailed), string(juta.StateStopped),
	},
	reflect.TypeOf(juta.ActionType("")): {
		string(juta.ActionMeeting), string(juta.ActionReminder), string(juta.ActionPayment),
		string(juta.ActionTask), string(juta.ActionReplyNeeded),
	},
	reflect.TypeOf(juta.ActionStatus("")): {
		string(juta.ActionPending), string(juta.ActionAccepted), string(juta.ActionDismissed), string(juta.ActionDone),
	},
	reflect.TypeOf(juta.MessageKind("")):   messageKinds(),
	reflect.TypeOf(juta.MessageStatus("")): messageStatuses(),
	reflect.TypeOf(juta.DeliveryStatus("")): {
		string(juta.DeliveryDead), string(juta.DeliveryQueued), string(juta.DeliveryDelivered),
	},
}

func messageKinds() []string {
	out := make([]string, len(juta.MessageKinds))
	for i, k := range juta.MessageKinds {
		out[i] = string(k)
	}
	return out
}

func messageStatuses() []string {
	out := make([]string, len(juta.MessageStatuses))
	for i, k := range juta.MessageStatuses {
		out[i] = string(k)
	}
	return out
}

// componentNames renames the api's unexported wire types; every other named
// struct keeps its Go name, capitalised.
var componentNames = map[string]string{
	"eventPage":    "EventPage",
	"createdKey":   "CreatedAPIKey",
	"credentials":  "Credentials",
	"problem":      "Problem",
	"authResponse": "AuthResponse",
}

// componentName names t's component; a generic page is named after its item
// type ("SessionPage").
func componentName(t reflect.Type) string {
	name := t.Name()
	if base, arg, ok := strings.Cut(name, "["); ok {
		arg = strings.TrimSuffix(arg, "]")
		if i := strings.LastIndexAny(arg, "./"); i >= 0 {
			arg = arg[i+1:]
		}
		return exportedName(arg) + exportedName(base)
	}
	if n, ok := componentNames[name]; ok {
		return n
	}
	return exportedName(name)
}

func exportedName(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// ref returns the schema of t, registering the components it needs. It
// panics on a type it cannot describe: the document is built from a fixed
// table, so that is a bug the document test catches.
func (g *schemaGen) ref(t reflect.Type) map[string]any {
	if enum, ok := typeEnums[t]; ok {
		return map[string]any{"type": "string", "enum": enum}
	}
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawJSONType:
		return map[string]any{"description": "a JSON document, embedded as is"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.ref(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.ref(t.Elem())}
	case reflect.Struct:
		return g.component(t, nil)
	}
	panic(fmt.Sprintf("openapi: cannot describe %s", t))
}

// component registers struct t (once) and returns a $ref to it. required
// nil means: the fields json always emits (no omitempty), as for responses.
func (g *schemaGen) component(t reflect.Type, required []string) map[string]any {
	name := componentName(t)
	if prev, ok := g.owner[name]; ok {
		if prev != t {
			panic(fmt.Sprintf("openapi: %s and %s both name component %s", prev, t, name))
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	g.owner[name] = t
	props, emitted := map[string]any{}, []string{}
	g.fields(t, props, &emitted)
	s := map[string]any{"type": "object", "properties": props}
	if required == nil {
		required = emitted
	}
	if len(required) > 0 {
		s["required"] = required
	}
	g.defs[name] = s
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// request registers a request body type: only the listed fields are
// required, and unknown fields are refused as decodeJSON does.
func (g *schemaGen) request(t reflect.Type, required []string) map[string]any {
	if required == nil {
		required = []string{}
	}
	ref := g.component(t, required)
	g.defs[componentName(t)].(map[string]any)["additionalProperties"] = false
	return ref
}

// fields adds t's JSON members to props, flattening embedded structs as
// encoding/json does.
func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.ref(f.Type)
		omit := strings.Contains(opts, "omitempty")
		if f.Type.Kind() == reflect.Pointer && !omit {
			s = map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
		}
		props[name] = s
		if !omit {
			*required = append(*required, name)
		}
	}
}
