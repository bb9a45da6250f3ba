if header :is :comparator "i;no-such-comparator" "subject" "x" {
	discard;
}
