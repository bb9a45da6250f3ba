require ["fileinto", "body", "mime", "foreverypart", "reject"];
if size :over 25M { reject "Messages over 25 MB are refused; use a file share."; stop; }
foreverypart {
  if header :mime :param "filename" :matches "Content-Disposition"
       ["*.exe", "*.scr", "*.bat", "*.js", "*.vbs"] {
    reject "Executable attachments are not accepted.";
    stop;
  }
}
if body :content "text/html" :contains "<script" { fileinto "Suspicious"; }
