# MIME (RFC 5703): walk the parts, test their headers, file by what they hold.
require ["mime", "foreverypart", "extracttext", "fileinto", "variables"];
if header :mime :type "Content-Type" "multipart" { fileinto "multipart"; }
if header :mime :anychild :subtype "Content-Type" ["pdf", "zip", "msword"] { fileinto "documents"; }
if header :mime :anychild :param "name" :matches "Content-Type" "*.exe" { fileinto "exe"; }
if address :mime :anychild :domain "From" "example.com" { fileinto "forwarded-example"; }
if exists :mime :anychild "Content-Disposition" { fileinto "has-disposition"; }
set "n" "0";
foreverypart {
    if header :mime :type "Content-Type" "image" { fileinto "images"; break; }
}
foreverypart :name "outer" {
    if header :mime :contenttype "Content-Type" "text/plain" {
        extracttext :first 40 "t";
        if string :matches "${t}" ["*unsubscribe*", "*Unsubscribe*"] { fileinto "unsubscribe-first40"; }
        if string :is "${t}" "" { fileinto "empty-text"; }
        break :name "outer";
    }
}
foreverypart {
    if header :mime :param "charset" :is "Content-Type" ["iso-8859-1", "windows-1252"] { fileinto "latin1"; }
}
