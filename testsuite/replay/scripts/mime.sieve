# foreverypart, :mime and extracttext over multipart mail (RFC 5703), and
# spamtest (RFC 5235) with the scores sieve-replay --setting configures.
require ["foreverypart", "mime", "extracttext", "variables", "fileinto",
         "spamtest", "relational", "comparator-i;ascii-numeric", "copy"];

foreverypart {
    if header :mime :anychild :param "filename" :matches "content-disposition" "*" {
        fileinto :copy "attachments/${1}";
    }
    if header :mime :contenttype "content-type" "text/plain" {
        extracttext :first 5 "start";
        fileinto :copy "text/${start}";
        break;
    }
}
if spamtest :value "ge" :comparator "i;ascii-numeric" "7" {
    fileinto "Junk";
}
