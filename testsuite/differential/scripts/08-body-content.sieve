# Body tests by MIME type.
require ["copy", "body", "fileinto"];

if body :content "text/html" :contains ["<table", "<TABLE", "<img"] {
    fileinto "html-rich";
}
if body :content "text/plain" :contains "patch" {
    fileinto :copy "plain-patch";
}
if body :content "image" :contains "" {
    fileinto "images";
}
if body :content ["application/pgp-signature", "application/pkcs7-signature"] :contains "" {
    fileinto "signed";
}
if body :content "multipart" :contains "This is a multi-part message" {
    fileinto "preamble";
}
