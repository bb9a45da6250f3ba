require "ihave";
if ihave "x-no-such-extension" {
	x_frobnicate;
} else {
	error "x-no-such-extension is missing";
}
