require ["encoded-character", "reject"];
reject text:
Accents: ${unicode:e9}t${unicode:e9}.
.
;
