/*
** serve.h: the one entry point of src/server/ for the command line
** (src/cli/main.c): `entente serve ...`. argv[0] is "serve".
*/
#ifndef SRV_SERVE_H
#define SRV_SERVE_H

int srv_main(const char *prog, int argc, char **argv);

#endif
