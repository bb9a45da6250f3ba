require ["variables", "enotify"];
set :lower :upperfirst "a" "hELLO";
set :upper :lowerfirst "b" "hello";
set :quotewildcard :lower "c" "A*B";
set :length :upper "d" "abc";
set :encodeurl :lower "e" "A B";
set :lowerfirst "f" "ABC";
