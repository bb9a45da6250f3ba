require ["fileinto", "encoded-character", "reject"];
fileinto "quoted \" and \\ and \q";
reject text:
Line one
..dot-stuffed line
.
;
reject text: # comment after text:
.
;
fileinto "${hex:48 65 6C 6C 6F} ${unicode:2764 fe0f}";
fileinto "${hex:}${unicode: }${hex:zz}${unicode:110000}";
fileinto ["a", "b", "c"];
