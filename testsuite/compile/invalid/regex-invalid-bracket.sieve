require "regex";
if header :regex "Subject" ["ok", "[z-a]"] { keep; }
