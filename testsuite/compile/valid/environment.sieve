require ["environment", "relational", "fileinto"];
# RFC 5183 examples.
if environment :contains "item" "\\" { keep; }
if environment :is "domain" "example.org" { keep; }
if environment :matches "name" "*Pigeonhole*" { keep; }
if environment :is "phase" "during" { keep; }
if environment :count "gt" "remote-host" "0" { keep; }
if environment :is "location" "MDA" { keep; }
if environment :is "vnd.example.custom" "x" { keep; }
