require "encoded-character";
if header :is "a" "${unicode:10FFFF}" { keep; }
