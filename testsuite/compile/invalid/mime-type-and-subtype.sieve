require "mime";
if header :mime :type :subtype "Content-Type" "text" { keep; }
