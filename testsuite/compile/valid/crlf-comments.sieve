/* A bracket comment
   over CRLF lines */
if size :over 1M { # hash comment
  discard;
}
