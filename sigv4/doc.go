// Package sigv4 verifies and creates AWS Signature Version 4 signatures
// (AWS4-HMAC-SHA256) on HTTP requests, in the Authorization header form
// and in the presigned query-string form. It uses only the standard
// library.
//
// The HTTP server calls [Verifier.Verify] on every request, with the body
// it has already read:
//
//	v := &sigv4.Verifier{Secrets: store} // store implements SecretLookup
//	res, err := v.Verify(ctx, r, body)
//	// err is an *sigv4.Error (Code, Message, Status) when the client is at
//	// fault; res names the access key, region, service and session token.
//
// Looking up secrets is the caller's job, through the one-method
// [SecretLookup]; so is checking the session token in
// [Result.SessionToken]. Derived signing keys are cached per (access key
// id, secret, date, region, service) in a bounded cache (1024 entries by
// default); a verification that hits the cache allocates only the
// [Result] and its SignedHeaders slice.
//
// [Signer] signs requests ([Signer.Sign]) and presigns URLs
// ([Signer.Presign]) for tests and for the command-line client.
// [Canonicalize] returns the canonical request and string to sign that
// Verify computes, for golden tests and debugging; [ParseAuthorization]
// and [ParseCredential] parse the signature information alone, for
// callers that must know the service before verifying (to choose an
// error format, say).
//
// # What is verified
//
// The canonical request follows the AWS documentation and matches
// botocore and the AWS SDKs:
//
//   - the path is taken as sent on the wire. For service "s3" it is
//     encoded once and not normalized; for every other service empty, "."
//     and ".." segments are removed and the wire form is encoded again
//     ("double encoding");
//   - query parameters are decoded and re-encoded per RFC 3986 ('+' is a
//     literal plus), sorted by name and then value; a presigned request's
//     X-Amz-Signature is left out;
//   - signed headers are listed in the order the client gave, with values
//     trimmed, inner runs of spaces collapsed and repeated headers joined
//     by ','. host must be signed, and so must every x-amz-* header
//     present except x-amz-content-sha256;
//   - the payload hash is the SHA-256 of the body, unless a signed
//     x-amz-content-sha256 header (or a presigned URL's
//     X-Amz-Content-Sha256 parameter) declares a digest, then checked
//     against the body after the signature, or UNSIGNED-PAYLOAD (see
//     below). S3 requests must send that header; S3 presigned URLs sign
//     UNSIGNED-PAYLOAD. Other services' presigned URLs sign the hash of
//     the body, which is the hash of an empty body: that is how botocore
//     (SigV4QueryAuth) and the AWS SDKs presign STS GetCallerIdentity.
//
// # Payload modes
//
// Whatever the mode, the body an accepted request carries is covered by
// its signature, except at S3:
//
//   - the SHA-256 of the body (the default; every non-S3 request the
//     SDKs send): the signature covers the body;
//   - a declared digest: the signature covers the digest and Verify
//     compares the body with it (XAmzContentSHA256Mismatch otherwise);
//   - UNSIGNED-PAYLOAD, reported in [Result.UnsignedPayload]: accepted
//     for service "s3", as at AWS. For every other service a
//     header-signed request that declares it is refused, whatever its
//     body, and a presigned URL that signs it is accepted only without a
//     body. Both refusals are SignatureDoesNotMatch (403), which is what
//     AWS answers: its other services compute the body's hash, so a
//     signature over UNSIGNED-PAYLOAD does not match
//     (apache/opendal-reqsign#346). The messages are Gatehouse's and say
//     why.
//     Without this rule a captured request, or a presigned
//     GetCallerIdentity URL, could be sent again with another body.
//
// Any syntactically valid region is accepted (botocore signs with the
// client's configured region when given an endpoint URL): which regions
// a key may sign with depends on its account's partition, which only the
// caller knows once it has looked the key up (Gatehouse's api accepts
// the regions of the caller's partition and answers others as AWS does,
// SignatureDoesNotMatch "Credential should be scoped to a valid region,
// not '...'. "). Services are restricted only when
// [Verifier.AllowedServices] is set. The request
// date comes from X-Amz-Date or else the Date header, which must then be
// in the same ISO 8601 basic format (AWS answers an RFC 1123 Date with
// "Date must be in ISO-8601 'basic format'"). Requests more than
// [Verifier.MaxSkew] (15 minutes) away from the server's clock are
// refused with SignatureDoesNotMatch "Signature expired: ..." or
// "Signature not yet current: ...". Signatures are compared with
// hmac.Equal.
//
// # Choices where AWS's behaviour is not known exactly
//
//   - Presigned URLs for services other than S3 live for the skew window
//     and X-Amz-Expires is ignored, as observed at STS (aws-sdk-go#2167,
//     aws-iam-authenticator#160); expiry is therefore the same
//     SignatureDoesNotMatch "Signature expired: ..." as for header
//     signatures. S3 presigned URLs honour X-Amz-Expires (at most 604800
//     seconds) and expire with AccessDenied "Request has expired", S3's
//     documented answer.
//   - Header and query authentication together: IncompleteSignature with
//     S3's message "Only one auth mechanism allowed; ...". S3 itself
//     answers InvalidArgument; the IAM/STS code is not known.
//   - An unsupported algorithm: IncompleteSignature with S3's message
//     "The authorization mechanism you have provided is not supported.
//     Please use AWS4-HMAC-SHA256."
//   - Unsigned x-amz-* headers: AccessDenied "There were headers present
//     in the request which were not signed", S3's answer; whether IAM and
//     STS check at all is not known.
//   - Missing presigned parameters: IncompleteSignature "AWS query-string
//     parameters must include 'X-Amz-...'. ... Re-examine the query-string
//     parameters." (recalled from AWS JSON services, not confirmed for
//     IAM/STS); a missing X-Amz-Expires on an S3 URL gets S3's
//     AuthorizationQueryParametersError.
//   - Scope errors are joined in one message (region, service,
//     terminator) before the date check. With several AllowedServices
//     the service message lists them all ("'iam' or 'sts'"); without
//     AllowedServices a malformed service name is quoted as received.
//   - Error order: the scope, host and header checks and the clock come
//     before the access key lookup, so an unknown key with a stale date
//     reports the date.
package sigv4
