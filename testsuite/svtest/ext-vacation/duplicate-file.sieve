# RFC 7352 1: file duplicates away.
require ["duplicate", "fileinto"];
if duplicate {
    fileinto "Duplicates";
}
