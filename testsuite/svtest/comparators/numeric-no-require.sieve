if header :is :comparator "i;ascii-numeric" "X-Score" "1" {
	discard;
}
