require "mime";
if address :mime :param "x" "From" "a" { keep; }
