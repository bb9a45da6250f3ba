if header :mime :anychild "Content-Type" "text" { keep; }
