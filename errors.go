package azauthtrace

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// FromError diagnoses err: an azidentity error (an
// *azidentity.AuthenticationFailedError, whose response it reads, a
// credential-unavailable error, an *azidentity.AuthenticationRequiredError,
// the aggregate error of DefaultAzureCredential and
// ChainedTokenCredential), an *azcore.ResponseError, wrapped or not, or
// the same errors reduced to text (from a log line, or after crossing a
// process boundary). ok is false when err is nil, a cancellation, or says
// nothing about authentication.
//
// For a chain's error, Failure.Chain holds one Failure per attempted
// source, in order, and the Failure itself describes the source that
// decided the outcome.
func FromError(err error) (f Failure, ok bool) {
	defer func() {
		// The error's own methods run here (Error, and those of Kiota's
		// and AMQP's errors): one that panics makes err unrecognised.
		if recover() != nil {
			f, ok = Failure{}, false
		}
	}()
	f, ok = fromError(err)
	if ok {
		var req *http.Request
		var h http.Header
		if resp := errorResponse(err); resp != nil {
			req, h = resp.Request, resp.Header
		}
		f.Grant = grantFor(&f, req, h)
		sc := safe.FromRequest(req)
		f.clean(sc)
		f.Grant.clean(sc)
		f.detach()
	}
	return f, ok
}

// errorResponse returns the response err carries, when it is an
// azcore.ResponseError or an azidentity.AuthenticationFailedError with
// one; nil otherwise.
func errorResponse(err error) *http.Response {
	var (
		afe *azidentity.AuthenticationFailedError
		re  *azcore.ResponseError
	)
	switch {
	case errors.As(err, &re) && re != nil && re.RawResponse != nil:
		return re.RawResponse
	case errors.As(err, &afe) && afe != nil && afe.RawResponse != nil:
		return afe.RawResponse
	}
	return nil
}

func fromError(err error) (f Failure, ok bool) {
	if err == nil || errors.Is(err, context.Canceled) {
		return Failure{}, false
	}
	var (
		are *azidentity.AuthenticationRequiredError
		afe *azidentity.AuthenticationFailedError
		re  *azcore.ResponseError
	)
	if errors.As(err, &are) && are != nil {
		text := bounded(are.Error())
		f = Failure{Class: ClassCredentialUnavailable, Source: SourceCredential, Credential: leadingCredential(text)}
		f.Description = firstLine(text)
		advise(&f)
		return f, true
	}
	if cu := credentialUnavailable(err); cu != nil {
		text := errorText(cu)
		f, ok = fromText(text)
		if !ok || len(f.Chain) == 0 {
			f = unavailableFailure(text, f)
		}
		return f, true
	}
	switch {
	case errors.As(err, &afe) && afe != nil:
		text := bounded(afe.Error())
		f, ok = fromText(text)
		if rf, rok := fromRawResponse(afe.RawResponse); rok {
			f = mergeResponse(f, ok, rf)
			ok = true
		}
		if ok {
			return f, true
		}
		f = Failure{Class: ClassAuthentication, Source: SourceCredential, Credential: leadingCredential(text), Description: firstLine(text)}
		advise(&f)
		return f, true
	case errors.As(err, &re) && re != nil:
		if rf, rok := fromRawResponse(re.RawResponse); rok {
			return rf, true
		}
		if f, ok = fromText(bounded(re.Error())); ok {
			return f, true
		}
		if re.StatusCode == http.StatusUnauthorized || re.StatusCode == http.StatusForbidden {
			f = Failure{StatusCode: re.StatusCode, ErrorCode: re.ErrorCode, Source: SourceService}
			f.Class = ClassPermission
			if re.StatusCode == http.StatusUnauthorized {
				f.Class = ClassTokenRejected
			}
			advise(&f)
			return f, true
		}
		return Failure{}, false
	}
	if f, ok = fromKiota(err); ok {
		return f, true
	}
	text := errorText(err)
	if f, ok = fromAMQP(err, text); ok {
		return f, true
	}
	if f, ok = fromText(text); ok {
		return f, true
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		f = Failure{Class: ClassTransient, Source: SourceCredential, Description: "timed out"}
		advise(&f)
		return f, true
	}
	return Failure{}, false
}

// errorText returns err's text, or "" when Error panics, as the Error
// method of a typed nil pointer in err's tree may.
func errorText(err error) (text string) {
	defer func() {
		if recover() != nil {
			text = ""
		}
	}()
	return bounded(err.Error())
}

// MaxErrorText is how much of an error's text FromError reads, in bytes:
// azidentity's errors, which carry the identity provider's response, take
// a few KiB.
const MaxErrorText = 64 << 10

// bounded returns the first MaxErrorText bytes of the text s.
func bounded(s string) string {
	if len(s) > MaxErrorText {
		return s[:MaxErrorText]
	}
	return s
}

// unavailableFailure returns the diagnosis of a credential-unavailable
// error whose text said nothing more specific than parsed.
func unavailableFailure(text string, parsed Failure) Failure {
	f := Failure{
		Class:      ClassCredentialUnavailable,
		Source:     SourceCredential,
		Credential: cmp.Or(parsed.Credential, leadingCredential(text)),
	}
	f.Description = firstLine(credentialMessage(text))
	advise(&f)
	return f
}

// fromRawResponse classifies the response an azidentity or azcore error
// carries, when its body can be read without consuming it (azcore buffers
// the bodies of the responses it returns in errors).
func fromRawResponse(resp *http.Response) (Failure, bool) {
	if resp == nil || resp.StatusCode < 400 {
		return Failure{}, false
	}
	var body []byte
	switch b := resp.Body.(type) {
	case nil:
	case interface{ Bytes() []byte }:
		body = b.Bytes()
		if len(body) > MaxBodyRead {
			body = body[:MaxBodyRead]
		}
	default:
		if b != http.NoBody {
			return Failure{}, false
		}
	}
	return classifyResponse(resp, detectOrigin(resp.Request, resp.Header), body), true
}

// mergeResponse completes the diagnosis parsed from an error's text with
// the one from its response, whose headers the text lacks.
func mergeResponse(f Failure, parsed bool, rf Failure) Failure {
	if !parsed {
		return rf
	}
	if len(f.Chain) == 0 {
		return mergeInto(f, rf)
	}
	// A chain's response is its deciding source's.
	for i := range f.Chain {
		if f.Chain[i].StatusCode == rf.StatusCode && f.Chain[i].Class != ClassCredentialUnavailable {
			f.Chain[i] = mergeInto(f.Chain[i], rf)
			chain := f.Chain
			f = f.Chain[i]
			f.Chain = chain
			break
		}
	}
	return f
}

func mergeInto(f, rf Failure) Failure {
	cred, desc := f.Credential, f.Description
	out := rf
	out.Credential = cred
	if out.Description == "" {
		out.Description = desc
	}
	if out.CorrelationID == "" {
		out.CorrelationID = f.CorrelationID
	}
	if out.RequestID == "" {
		out.RequestID = f.RequestID
	}
	out.TroubleshootingURL = ""
	advise(&out)
	return out
}
