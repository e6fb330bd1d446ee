/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs every in-image test suite of the selected libraries (LIB_TEST_ALL)
 * and prints KTAP. Exit status: the number of failed cases, capped at 100.
 */
#include <mica/test.h>

int main(int argc, char *argv[])
{
	int failed = mica_test_run_all();

	return failed > 100 ? 100 : failed;
}
