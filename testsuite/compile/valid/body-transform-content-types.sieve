require "body";
if body :content ["multipart", "message/rfc822", "text/plain; charset=utf-8"] :contains "x" { keep; }
if body :content "" :contains "x" { keep; }
if body :raw :is "" { keep; }
