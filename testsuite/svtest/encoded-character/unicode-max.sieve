require "encoded-character";
if header :is "subject" "${unicode:10FFFF}" {
	discard;
}
