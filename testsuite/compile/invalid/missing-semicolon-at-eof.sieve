keep;
stop
