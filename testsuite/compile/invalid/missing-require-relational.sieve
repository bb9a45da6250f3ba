if header :count "gt" "Received" "10" { discard; }
