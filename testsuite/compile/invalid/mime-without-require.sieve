if header :mime :type "Content-Type" "text" { keep; }
