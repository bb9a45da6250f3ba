if address :is "subject" "someone@example.com" {
	discard;
}
