require ["environment", "variables"];
set "u" "${env.name}";
