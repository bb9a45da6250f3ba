# Every require is used, some in less obvious ways.
require ["vacation-seconds", "comparator-i;octet", "encoded-character",
         "variables", "fileinto"];
if header :comparator "i;octet" :is "X-Tag" "${hex:41 42}" {
    fileinto "tagged";
}
if header :matches "Subject" "[*]*" {
    fileinto "lists/${1}";
}
vacation :seconds 3600 "Away until Monday";
