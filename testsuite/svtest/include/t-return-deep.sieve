require ["include", "variables"];
global "trace";
if true {
	if not false {
		set "trace" "${trace}d1";
		return;
	}
	set "trace" "${trace}d2";
}
set "trace" "${trace}d3";
