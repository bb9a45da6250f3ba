require "encoded-character";
if header :contains "Subject" "${unicode:D800}" { keep; }
