package awsmanaged

// Embedded returns the embedded archive, for benchmarks of Decode.
func Embedded() []byte { return embedded }
