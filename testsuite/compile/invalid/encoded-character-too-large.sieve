require "encoded-character";
if header :contains "Subject" "${unicode:110000}" { keep; }
