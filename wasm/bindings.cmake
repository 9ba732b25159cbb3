# The WebAssembly module: one ES module + .wasm for browsers, workers and node, written to
# web/lab/core/ (build output, not in git). Included from wasm/CMakeLists.txt under
# EMSCRIPTEN; TOOLCHAIN.md explains most flags.
set(SL_LAB_CORE_DIR ${PROJECT_SOURCE_DIR}/web/lab/core)
set(SL_NODE_SHIM ${CMAKE_CURRENT_SOURCE_DIR}/node-shim.pre.js)
set(SL_LOCATE_FILE ${CMAKE_CURRENT_SOURCE_DIR}/locate-file.pre.js)
set(SL_WIDE_STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/wide-strings.lib.js)

add_executable(stateless-lab-core bindings.cpp bindings_libc.cpp)
target_link_libraries(stateless-lab-core PRIVATE sl_core)
set_target_properties(stateless-lab-core PROPERTIES
  SUFFIX .mjs
  RUNTIME_OUTPUT_DIRECTORY ${SL_LAB_CORE_DIR}
  LINK_DEPENDS "${SL_NODE_SHIM};${SL_LOCATE_FILE};${SL_WIDE_STRINGS}")

# After every link: the JS glue minified in place (scripts/minify-core-glue.mjs), then the
# core's name tables as a plain JS module beside it (scripts/write-vocabulary.mjs), so that the
# two can never disagree; the second step loads the minified glue in node.
add_custom_command(TARGET stateless-lab-core POST_BUILD
  COMMAND ${SL_NODE} ${PROJECT_SOURCE_DIR}/scripts/minify-core-glue.mjs
  COMMAND ${SL_NODE} ${PROJECT_SOURCE_DIR}/scripts/write-vocabulary.mjs
  COMMENT "Minifying the core's glue, writing web/lab/core/vocabulary.mjs"
  VERBATIM)

# Size, without slowing the simulation down:
# - the simulation TUs stay at -O3 (the build type's flags); the parsing, validation, CLI,
#   registry, results, cost and theory TUs and this file run once per scenario or per view
#   refresh, so they are compiled for size; so are the alias table's construction and the
#   stream model's step, checkpoint and crash handling, which measured no slower for it (the
#   stream engine, source, sink and state at -Os ran 2.5 times slower: they stay at -O3);
# - link-time optimisation across the core drops what the module never reaches;
# - bindings.cpp (strtod) and bindings_libc.cpp (snprintf) replace musl's families, whose
#   long-double scanner and full printf the module has no use for;
# - nlohmann/json's and libc++'s throw sites become aborts (JSON_NOEXCEPTION, -fno-exceptions):
#   nothing here catches exceptions anyway (a throw would abort the module either way), and the
#   core validates input without them; the glue then carries no exception support. Catch2's
#   wasm build uses sl_core_exceptions, which is not touched;
# - no RTTI (-fno-rtti, and embind's library variant without it): embind then tells types
#   apart by an address of its own instead of std::type_info, and the module carries no type
#   names; nothing in the core asks for typeid or dynamic_cast;
# - the set-up of a run (Simulation::reset, the stream engine's constructor) is marked
#   SL_RARELY_RUN (rarely_run.h), compiled for size inside the -O3 files.
set(SL_CORE_COLD_SOURCES json_reader.cpp scenario.cpp stream_scenario.cpp command_line.cpp
    scenario_registry.cpp stream_registry.cpp stream_results.cpp vocabulary.cpp cost_model.cpp
    stream_cost.cpp theory.cpp timeline_order.cpp alias_table.cpp stream_simulation.cpp
    stream_recovery.cpp cluster_report.cpp)
foreach(src ${SL_CORE_COLD_SOURCES})
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src})
    set_property(SOURCE ${src} TARGET_DIRECTORY sl_core APPEND PROPERTY COMPILE_OPTIONS -Oz)
  endif()
endforeach()
set_property(SOURCE bindings.cpp bindings_libc.cpp APPEND PROPERTY COMPILE_OPTIONS -Oz)
foreach(target sl_core stateless-lab-core)
  target_compile_options(${target} PRIVATE -flto)
  target_compile_definitions(${target} PRIVATE JSON_NOEXCEPTION)
  target_compile_options(${target} PRIVATE -fno-exceptions)
  target_compile_options(${target} PRIVATE -fno-rtti)
  target_compile_definitions(${target} PRIVATE EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0)
endforeach()

target_link_options(stateless-lab-core PRIVATE
  --bind -flto
  # embind's library in its variant without RTTI, to match the core (see above); its type
  # names for error messages then come from siprintf, in bindings_libc.cpp.
  -fno-rtti
  # -Oz at link shrinks the JS glue and the final wasm-opt pass; code generation keeps each
  # function's own level (see above).
  -Oz
  # wasm-opt's passes repeated while they still shrink the module.
  -sBINARYEN_EXTRA_PASSES=--converge
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createStatelessLabCore
  -sENVIRONMENT=web,worker,node
  # embind without new Function(): works under script-src 'self' 'wasm-unsafe-eval'.
  -sDYNAMIC_EXECUTION=0
  -sALLOW_MEMORY_GROWTH=1
  # A library must not take over the host process's exception and rejection handling.
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
  -sFILESYSTEM=0 -sTEXTDECODER=2
  # The core allocates once per run, not per request: the small allocator is enough.
  -sMALLOC=emmalloc
  -sDISABLE_EXCEPTION_THROWING=1
  -sINCOMING_MODULE_JS_API=[locateFile,wasmBinary,print,printErr,onAbort,instantiateWasm]
  # Node support for the ES module (TOOLCHAIN.md 5-6): require/__dirname/fetch outside the
  # factory, a plain-path locateFile inside it.
  "SHELL:--extern-pre-js ${SL_NODE_SHIM}"
  "SHELL:--pre-js ${SL_LOCATE_FILE}"
  # embind's wide-string types, which nothing here binds, without their converters.
  "SHELL:--js-library ${SL_WIDE_STRINGS}")

# Closure shrinks the JS glue by a third (gzip) when the npm package google-closure-compiler
# is installed in a version that emscripten 3.1.6 can drive (newer ones refuse its
# --language_in flag); without it the build is the same minus that step.
find_program(SL_CLOSURE_COMPILER google-closure-compiler
             PATHS ${PROJECT_SOURCE_DIR}/node_modules/.bin NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
set(SL_CLOSURE_OK FALSE)
if(SL_CLOSURE_COMPILER)
  execute_process(COMMAND ${SL_CLOSURE_COMPILER} --version OUTPUT_VARIABLE SL_CLOSURE_VERSION
                  ERROR_QUIET RESULT_VARIABLE SL_CLOSURE_RC)
  if(SL_CLOSURE_RC EQUAL 0 AND SL_CLOSURE_VERSION MATCHES "Version: v(2021[0-9]+|2022010[0-9]|2022020[0-9])")
    set(SL_CLOSURE_OK TRUE)
  else()
    message(STATUS "google-closure-compiler found but not a version emscripten 3.1.6 can use: JS glue not minified by closure")
  endif()
endif()
if(SL_CLOSURE_OK)
  target_link_options(stateless-lab-core PRIVATE "SHELL:--closure 1")
  # The linker launcher (top-level CMakeLists.txt) already sets NODE_PATH for acorn; this
  # target's launcher also tells emscripten where closure is.
  set_target_properties(stateless-lab-core PROPERTIES CXX_LINKER_LAUNCHER
    "${CMAKE_COMMAND};-E;env;NODE_PATH=${SL_ACORN_DIR};EM_CLOSURE_COMPILER=${SL_CLOSURE_COMPILER}")
endif()
