require ["include", "variables"];
global "trace";
if header :matches "subject" "include *" {
	set "trace" "${trace}[${1}]";
}
