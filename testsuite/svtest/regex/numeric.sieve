require ["regex", "comparator-i;ascii-numeric"];
if header :regex :comparator "i;ascii-numeric" "subject" "[0-9]+" {
	discard;
}
