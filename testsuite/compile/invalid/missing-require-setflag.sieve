setflag "\\Seen";
