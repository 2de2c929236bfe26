/*
 * echo: reads its console and writes back what it reads, the way a
 * terminal shows what one types, and says each line again when it ends.
 * Its console must answer CONSOLE_READ: a driver's, such as
 * user/uart16550's (make run APP="uart16550 echo"); the kernel's cannot.
 * Control-D ends it.
 */
#include <libvg/libvg.h>

#define EOT	0x04	/* control-D */

int
main(void)
{
	vg_addr_t console = vg_self()->console;
	char line[128], buf[64];
	size_t len = 0, n, total = 0;
	enum vg_err err;

	printf("echo: type a line (control-D ends); I read my console and "
	    "write back what I read.\n");
	for (;;) {
		err = vg_console_read(console, buf, sizeof(buf), &n);
		if (err != VG_OK) {
			printf("echo: my console cannot be read: %s\n",
			    vg_strerror(err));
			return 1;
		}
		for (size_t i = 0; i < n; i++) {
			char c = buf[i];

			if (c == EOT) {
				printf("\necho: %lu bytes read; bye.\n",
				    (unsigned long)total);
				return 0;
			}
			total++;
			/* A terminal's Enter is a CR. */
			if (c == '\r')
				c = '\n';
			(void)vg_debug_write(&c, 1);
			if (c != '\n') {
				if (len < sizeof(line))
					line[len++] = c;
				continue;
			}
			printf("echo: you typed \"%.*s\"\n", (int)len, line);
			len = 0;
		}
	}
}
