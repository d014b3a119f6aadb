package actors

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/juta-app/juta/actors/msg"
)

// startRemote runs an actor system with protoactor's remote on a free
// loopback port until the test ends. One per process: remote's Start sets
// gRPC's global logger, which a second one in the same process races with.
func startRemote(t *testing.T) *actor.ActorSystem {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	system := NewSystem(quietLog())
	r := remote.NewRemote(system, remote.Configure("127.0.0.1", port))
	r.Start()
	t.Cleanup(func() { r.Shutdown(false); system.Shutdown() })
	return system
}

// echoEnv makes the test binary run TestRemoteEchoNode as a second node.
const echoEnv = "JUTA_TEST_REMOTE_ECHO"

// TestRemoteEchoNode is the other node of the remote test, run in its own
// process: an actor named "echo" sends every message of actors/msg back to
// its sender, and one named "relay" hands each on to echo with the original
// sender, as a node's registry hands a request routed from another node to
// the user's actor, which answers the caller on the first node directly. It
// prints its address and serves until killed.
func TestRemoteEchoNode(t *testing.T) {
	if os.Getenv(echoEnv) == "" {
		return // only as the helper process
	}
	system := startRemote(t)
	echo, err := system.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(proto.Message); ok && ctx.Sender() != nil &&
			m.ProtoReflect().Descriptor().ParentFile() == msg.File_juta_proto {
			ctx.Respond(m)
		}
	}), "echo")
	if err != nil {
		t.Fatal(err)
	}
	_, err = system.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(proto.Message); ok && ctx.Sender() != nil &&
			m.ProtoReflect().Descriptor().ParentFile() == msg.File_juta_proto {
			ctx.RequestWithCustomSender(echo, m, ctx.Sender())
		}
	}), "relay")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("echo-address", system.Address())
	select {}
}

// startEchoNode runs TestRemoteEchoNode in a child process and returns its
// echo and relay actors.
func startEchoNode(t *testing.T) (echo, relay *actor.PID) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRemoteEchoNode$")
	cmd.Env = append(os.Environ(), echoEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "echo-address "); ok {
			go func() {
				for lines.Scan() { // drain
				}
			}()
			return actor.NewPID(addr, "echo"), actor.NewPID(addr, "relay")
		}
	}
	t.Fatalf("echo node printed no address: %v", lines.Err())
	return nil, nil
}

// filled returns a new message of type mt with every scalar field of its
// own set, so that a field lost on the way shows.
func filled(t *testing.T, mt protoreflect.MessageType) proto.Message {
	m := mt.New()
	fields := m.Descriptor().Fields()
	for i := range fields.Len() {
		f := fields.Get(i)
		if f.IsList() || f.IsMap() {
			continue
		}
		switch f.Kind() {
		case protoreflect.Int64Kind:
			m.Set(f, protoreflect.ValueOfInt64(int64(40+i)))
		case protoreflect.Int32Kind:
			m.Set(f, protoreflect.ValueOfInt32(int32(40+i)))
		case protoreflect.BoolKind:
			m.Set(f, protoreflect.ValueOfBool(true))
		case protoreflect.StringKind:
			m.Set(f, protoreflect.ValueOfString("s"+strconv.Itoa(i)))
		case protoreflect.BytesKind:
			m.Set(f, protoreflect.ValueOfBytes([]byte{byte(i)}))
		}
	}
	return m.Interface()
}

// Every message type of actors/msg crosses to an actor on another node and
// back intact, directly and handed on by a relay there with the original
// sender (the path of a request routed to the node holding its user): cluster
// mode routes them between nodes, and a type that could not cross would be
// dropped silently and its caller would time out.
func TestEveryMessageTypeReachesARemoteActor(t *testing.T) {
	t.Parallel()
	echo, relay := startEchoNode(t)
	local := startRemote(t)
	for _, to := range []*actor.PID{echo, relay} {
		t.Run(to.GetId(), func(t *testing.T) { sendEveryType(t, local, to) })
	}
}

// sendEveryType sends one filled message of every type from local to the
// actor to and waits for each to come back.
func sendEveryType(t *testing.T, local *actor.ActorSystem, to *actor.PID) {
	got := make(chan proto.Message, 256)
	sender := local.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *outbound:
			ctx.Request(to, m.m)
		case proto.Message:
			if m.ProtoReflect().Descriptor().ParentFile() == msg.File_juta_proto {
				got <- m
			}
		}
	}))
	t.Cleanup(func() { local.Root.Stop(sender) })

	types := msg.File_juta_proto.Messages()
	want := map[protoreflect.FullName]proto.Message{}
	for i := range types.Len() {
		mt, err := protoregistry.GlobalTypes.FindMessageByName(types.Get(i).FullName())
		if err != nil {
			t.Fatal(err)
		}
		m := filled(t, mt)
		want[types.Get(i).FullName()] = m
		local.Root.Send(sender, &outbound{m})
	}
	deadline := time.After(20 * time.Second)
	for len(want) > 0 {
		select {
		case m := <-got:
			name := m.ProtoReflect().Descriptor().FullName()
			sent, ok := want[name]
			if !ok {
				t.Fatalf("%s arrived twice or was never sent", name)
			}
			if !proto.Equal(sent, m) {
				t.Fatalf("%s came back as %v, sent %v", name, m, sent)
			}
			delete(want, name)
		case <-deadline:
			var missing []string
			for name := range want {
				missing = append(missing, string(name))
			}
			t.Fatalf("%d message types never came back: %v", len(missing), missing)
		}
	}
}

// outbound asks the local sender actor to send m to the echo node (a local
// message: it never leaves the process).
type outbound struct{ m proto.Message }
