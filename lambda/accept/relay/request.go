package relay

// MaxBodyBytes is the largest body accepted. Time entries are a few KiB.
const MaxBodyBytes = 1 << 20

// UnreadableBody is a body an adapter could not give (not base64, not an
// event at all): reading it fails with this, and the request is refused
// with 400 and this reason.
type UnreadableBody string

func (e UnreadableBody) Error() string { return string(e) }
