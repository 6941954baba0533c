// Package record puts the diagnosis of an error on the span in a context,
// and counts it, for code that no policy or transport covers: the AMQP
// senders and receivers of Service Bus and Event Hubs, Kiota clients'
// errors, anything that returns an error from Azure.
//
//	if err := sender.SendMessage(ctx, msg, nil); err != nil {
//		record.Error(ctx, err)
//		return err
//	}
//
// Error diagnoses err with [github.com/azauthtrace/azauthtrace.FromError].
// On the span in ctx it sets the diagnosis's attributes, adds an
// azauth.failure event with them, and sets the span's status to Error. It
// counts a service's failure in azauth.failures, by class and, when it is
// 401 or 403, status code; the text of an error is hostile, so no host or
// other value read from it becomes a metric attribute (a failure to get a
// token is counted by the credential decorator, which records the token
// request). An error that says nothing about authentication is left
// alone.
package record

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
)

// Options configures a [Recorder]. Pass nil to [New] to accept the default
// values.
type Options struct {
	// MeterProvider provides the meter of the failures counter
	// (azauth.failures). Nil means otel.GetMeterProvider(), read when New
	// is called.
	MeterProvider metric.MeterProvider

	// Attributes are added to the span and its event with the
	// diagnosis. They are not added to metrics. The default, nil, adds
	// none.
	Attributes []attribute.KeyValue
}

// Recorder records the diagnoses of errors. Create one with [New]; it is
// safe for concurrent use.
type Recorder struct {
	rec *recorder.Recorder
}

// New returns a Recorder. Pass nil to accept the default values.
func New(opts *Options) *Recorder {
	var o Options
	if opts != nil {
		o = *opts
	}
	return &Recorder{rec: recorder.New(recorder.Config{MeterProvider: o.MeterProvider, Attributes: o.Attributes})}
}

// Error diagnoses err and records the diagnosis on the span in ctx and in
// the failures counter; see the package documentation. It returns the
// diagnosis, and ok false, recording nothing, when err says nothing about
// authentication. err itself is not changed.
func (r *Recorder) Error(ctx context.Context, err error) (f azauthtrace.Failure, ok bool) {
	f, ok = azauthtrace.FromError(err)
	if ok {
		r.rec.RecordFailure(ctx, f, nil)
	}
	return f, ok
}

// global is the Recorder of Error, with the global meter provider.
var global = sync.OnceValue(func() *Recorder { return New(nil) })

// Error is [Recorder.Error] with the global meter provider.
func Error(ctx context.Context, err error) (azauthtrace.Failure, bool) {
	return global().Error(ctx, err)
}
