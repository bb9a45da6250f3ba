require ["mime", "fileinto"];
# RFC 5703 examples.
if header :mime :type "Content-Type" "image" { fileinto "INBOX.images"; }
if header :mime :anychild :contenttype "Content-Type" "text/html" { fileinto "INBOX.html"; }
if header :mime :param "filename" :contains "Content-Disposition" ".zip" { fileinto "INBOX.zip"; }
if header :mime :subtype "Content-Type" "pdf" { keep; }
if address :mime :anychild :all "From" "a@example.org" { keep; }
if exists :mime :anychild "Content-Location" { keep; }
if header :mime :param ["name", "charset"] "Content-Type" "x" { keep; }
