require "regex";
if header :regex "subject" "(unbalanced" {
	discard;
}
