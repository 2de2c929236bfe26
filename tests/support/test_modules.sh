# Sourced by the in-VM test scripts (tests/build/qemu.sh, cpu_state.sh).
#
# test_modules ROOT O DIR: copy the in-VM test programs of build
# directory O (make print-test-modules: "FILE NAME" entries, comma-joined)
# into DIR, and print QEMU's -initrd list of the copies, "DIR/FILE NAME,
# ...".  Copies, so that a rebuild meanwhile cannot change the images
# between boots.  On failure prints the program that is missing and
# returns 1.
test_modules() {
	_tm_list=""
	_tm_ifs=$IFS
	IFS=,
	for _tm_m in $(make --no-print-directory -s -C "$1" O="$2" \
	    print-test-modules); do
		_tm_file=${_tm_m% *}
		if ! cp "$_tm_file" "$3/"; then
			IFS=$_tm_ifs
			echo "$_tm_file"
			return 1
		fi
		_tm_list="$_tm_list${_tm_list:+,}$3/$(basename "$_tm_file") ${_tm_m##* }"
	done
	IFS=$_tm_ifs
	echo "$_tm_list"
}
