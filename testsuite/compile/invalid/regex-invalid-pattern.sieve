require "regex";
if header :regex "Subject" "(unclosed" { keep; }
