package provider

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	msgpack "github.com/vmihailenco/msgpack/v5"
)

// NewServer is the provider's protocol 6 server, for main.go and the tests: the
// framework's server, except that the entries of a logs data source go into the
// returned state straight from the client's structs.
//
// Why: after Read returns, the framework walks the whole state three more times
// (ReifyNullCollectionBlocks looks up the schema for every null value, the semantic
// equality check copies and compares it, and then it is encoded). With 10,000
// entries those passes cost about 70% of a read's allocations and time whatever Read
// does. Here Read hands the framework the state with an empty entries list and leaves
// the entries in the context's entriesSlot; ReadDataSource then encodes the state the
// framework returned with the entries written in. Terraform decodes it to the same
// value the framework would have sent: the same schema, values and nulls, the entries'
// attributes perhaps in another order (TestServerStateMatchesFramework compares the
// decoded values; TestNewServerWritesTheEntries fails when the fast path is off).
//
// This wrapper can go once the framework no longer makes those passes over a data
// source's state (for example terraform-plugin-framework#1314): then Read sets the
// entries in the state itself and NewServer is providerserver.NewProtocol6WithError.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	framework := providerserver.NewProtocol6WithError(New(version)())
	return func() (tfprotov6.ProviderServer, error) {
		s, err := framework()
		if err != nil {
			return nil, err
		}
		full, ok := s.(frameworkServer)
		if !ok {
			return nil, fmt.Errorf("the framework's server (%T) lacks an interface entriesServer forwards", s)
		}
		return entriesServer{full}, nil
	}
}

// frameworkServer is every interface of terraform-plugin-go's that the framework's
// server implements, the optional ones included: embedding it, entriesServer forwards
// them all, so that tf6server's type assertions find on the wrapper what the framework
// offers. TestEntriesServerForwardsEveryInterface fails when terraform-plugin-go adds
// one this list lacks.
//
// The three optional interfaces are deprecated only because their methods will move into
// ProviderServer; until then tf6server asserts them, so the wrapper must have them.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // see above
}

type entriesServer struct {
	frameworkServer
}

// fastPathReads counts the reads whose entries entriesServer wrote, for the test that
// fails when Read stops handing them over.
var fastPathReads atomic.Int64

// entriesSlot carries the entries from Read to entriesServer.ReadDataSource: the one
// value that travels in a context, because the framework's Read has no other way to
// hand anything to the server around it.
type entriesSlot struct {
	schema tftypes.Object
	count  int
	write  func(w *msgpackFields) error // writes the entries, each an object of the schema's entry type
}

type entriesSlotKey struct{}

func (s entriesServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	slot := &entriesSlot{}
	resp, err := s.frameworkServer.ReadDataSource(context.WithValue(ctx, entriesSlotKey{}, slot), req)
	if err != nil || resp == nil || resp.State == nil || slot.write == nil {
		return resp, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return resp, nil
		}
	}
	state, err := writeState(resp.State, slot)
	if err != nil {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unable to Build State",
			Detail: err.Error() + ". Please report this issue to the provider developers.",
		})
		resp.State = nil
		// The failure travels as an error diagnostic, as the framework reports its own.
		return resp, nil //nolint:nilerr // a protocol error would hide the diagnostic
	}
	resp.State = state
	fastPathReads.Add(1)
	if slot.count >= largeState {
		// The entries are in the state now; their structs go before gRPC copies the state.
		slot.write = nil
		runtime.GC()
	}
	return resp, nil
}

// writeState encodes the framework's state with the slot's entries in place of its
// empty entries list, attribute by attribute in the order tftypes encodes objects.
func writeState(framework *tfprotov6.DynamicValue, slot *entriesSlot) (*tfprotov6.DynamicValue, error) {
	entryType, err := entryObjectType(slot.schema)
	if err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(slot.schema.AttributeTypes))
	others, size, err := encodeOthers(framework, slot.schema, names)
	if err != nil {
		return nil, err
	}
	// The entries are most of the state: a counting pass sizes the buffer exactly, so
	// that it is never copied into one twice as large while the entries are still held.
	var counted countingWriter
	if err := slot.write(&msgpackFields{enc: msgpack.NewEncoder(&counted), entryType: entryType}); err != nil {
		return nil, err
	}
	if slot.count >= largeState {
		// The garbage of the scan (pages, bodies) goes before the state is written, so that
		// the heap the state needs is the one the scan used, not more (BENCHMARKS.md).
		runtime.GC()
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+int(counted)+16))
	w := &msgpackFields{enc: msgpack.NewEncoder(buf), entryType: entryType}
	if err := w.enc.EncodeMapLen(len(names)); err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := w.enc.EncodeString(name); err != nil {
			return nil, err
		}
		if name != "entries" {
			buf.Write(others[name])
			continue
		}
		if err := w.enc.EncodeArrayLen(slot.count); err != nil {
			return nil, err
		}
		if err := slot.write(w); err != nil {
			return nil, err
		}
	}
	return &tfprotov6.DynamicValue{MsgPack: buf.Bytes()}, nil
}

// encodeOthers encodes every attribute of the framework's state but the entries, and
// returns their encoded size with their names.
func encodeOthers(framework *tfprotov6.DynamicValue, schema tftypes.Object, names []string) (map[string][]byte, int, error) {
	value, err := framework.Unmarshal(schema)
	if err != nil {
		return nil, 0, err
	}
	var attrs map[string]tftypes.Value
	if err := value.As(&attrs); err != nil {
		return nil, 0, err
	}
	others := make(map[string][]byte, len(names))
	size := 0
	for _, name := range names {
		if name == "entries" {
			continue
		}
		encoded, err := tfprotov6.NewDynamicValue(schema.AttributeTypes[name], attrs[name])
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
		others[name] = encoded.MsgPack
		size += len(encoded.MsgPack) + len(name) + 5
	}
	return others, size, nil
}

// largeState is the number of entries from which writeState collects the garbage first:
// a collection takes a few milliseconds per 10 MB live, far less than reading so many.
const largeState = 10_000

// countingWriter counts the bytes written to it. WriteString and WriteByte keep the
// encoder from converting every string and byte to a slice of its own.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func (c *countingWriter) WriteString(s string) (int, error) {
	*c += countingWriter(len(s))
	return len(s), nil
}

func (c *countingWriter) WriteByte(byte) error {
	*c++
	return nil
}

// entryFields receives the values of one entry from its mapping (auditEntryFields,
// sessionEntryFields). tftypesFields builds a tftypes.Value of them (the framework's
// path), msgpackFields writes them (entriesServer's path), so that both come from the
// one mapping. Terraform decodes an object's attributes by name, in any order.
type entryFields interface {
	str(name string, v *string)
	boolean(name string, v *bool)
	user(email, name *string)
}

// msgpackFields writes fields as tftypes would encode them: a string or nil, a
// bool or nil, the user as an object of email and name. The objects' sizes come from
// the schema's entry type, and an entry whose mapping writes another number of
// attributes, or one the schema lacks, is an error, not a state Terraform cannot read.
type msgpackFields struct {
	enc       *msgpack.Encoder
	err       error
	entryType tftypes.Object
	written   int
}

// entry writes one entry, its attributes written by fill.
func (w *msgpackFields) entry(fill func(entryFields)) {
	want := len(w.entryType.AttributeTypes)
	w.keep(w.enc.EncodeMapLen(want))
	w.written = 0
	fill(w)
	if w.written != want {
		w.keep(fmt.Errorf("an entry mapping wrote %d attributes; the schema's entries have %d", w.written, want))
	}
}

// attribute writes the name of an attribute of the entry.
func (w *msgpackFields) attribute(name string) {
	if _, ok := w.entryType.AttributeTypes[name]; !ok {
		w.keep(fmt.Errorf("an entry mapping wrote %s, which the schema's entries lack", name))
	}
	w.written++
	w.keep(w.enc.EncodeString(name))
}

func (w *msgpackFields) keep(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *msgpackFields) str(name string, v *string) {
	w.attribute(name)
	w.writeString(v)
}

func (w *msgpackFields) writeString(v *string) {
	if v == nil {
		w.keep(w.enc.EncodeNil())
		return
	}
	w.keep(w.enc.EncodeString(*v))
}

func (w *msgpackFields) boolean(name string, v *bool) {
	w.attribute(name)
	if v == nil {
		w.keep(w.enc.EncodeNil())
		return
	}
	w.keep(w.enc.EncodeBool(*v))
}

func (w *msgpackFields) user(email, name *string) {
	w.attribute("user")
	user, _ := w.entryType.AttributeTypes["user"].(tftypes.Object)
	if len(user.AttributeTypes) != 2 {
		w.keep(fmt.Errorf("the schema's user has %d attributes, the mapping writes email and name", len(user.AttributeTypes)))
	}
	w.keep(w.enc.EncodeMapLen(2))
	w.keep(w.enc.EncodeString("email"))
	w.writeString(email)
	w.keep(w.enc.EncodeString("name"))
	w.writeString(name)
}

// tftypesFields builds the tftypes.Value of one entry of type t.
type tftypesFields struct {
	t      tftypes.Object
	values map[string]tftypes.Value
}

func (f *tftypesFields) str(name string, v *string) { f.values[name] = stringValue(v) }

func (f *tftypesFields) boolean(name string, v *bool) { f.values[name] = boolValue(v) }

func (f *tftypesFields) user(email, name *string) { f.values["user"] = userValue(f.t, email, name) }
