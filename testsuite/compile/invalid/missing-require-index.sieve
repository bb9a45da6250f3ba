if header :index 1 :is "Received" "x" { keep; }
