if header :is :comparator "i;octet" "subject" "x" {
	discard;
}
if header :is :comparator "i;ascii-casemap" "subject" "x" {
	discard;
}
