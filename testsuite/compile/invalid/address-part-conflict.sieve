if address :all :localpart :is "from" "x" { keep; }
