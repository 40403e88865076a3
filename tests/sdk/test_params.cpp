#include <gtest/gtest.h>

#include "xrecon/params.hpp"

using namespace xrecon;

TEST(ParamSchema, BuildsSpecsInOrder) {
  ParamSchema s;
  s.integer("n", 3, "count", 1, 10).real("x", std::nullopt, "optional").input_file("data", "file").choice(
      "mode", "a", {"a", "b"}, "mode");
  ASSERT_EQ(s.specs().size(), 4u);
  EXPECT_EQ(s.specs()[0].name, "n");
  EXPECT_EQ(std::get<std::int64_t>(*s.specs()[0].default_value), 3);
  EXPECT_FALSE(s.specs()[1].default_value.has_value());
  EXPECT_FALSE(s.specs()[1].required);
  EXPECT_TRUE(s.find("data")->required);
  EXPECT_TRUE(s.find("data")->must_exist);
  EXPECT_EQ(s.find("nothing"), nullptr);
  EXPECT_THROW(s.real("n", 1.0, "twice"), InputError);
}

TEST(ParamValues, TypedAccess) {
  ParamValues v;
  v.set("n", std::int64_t(4));
  v.set("s", std::string("hi"));
  EXPECT_EQ(v.integer("n"), 4);
  EXPECT_DOUBLE_EQ(v.real("n"), 4.0);  // integers read as reals
  EXPECT_EQ(v.string("s"), "hi");
  EXPECT_THROW(v.boolean("s"), InputError);
  EXPECT_THROW(v.integer("missing"), InputError);
  EXPECT_EQ(v.optional_real("missing"), std::nullopt);
}
