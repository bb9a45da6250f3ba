require ["date", "index", "fileinto", "relational"];
# RFC 5260 7 example.
if date :zone "-0500" :value "gt" :index 2 "received" "iso8601" "2007-02-26T09:00:00-05:00" { fileinto "x"; }
if header :index 1 :is "Received" "from localhost" { keep; }
if header :index 2 :last :contains "Received" "example.org" { keep; }
if address :last :index 1 :domain :is "From" "example.org" { keep; }
