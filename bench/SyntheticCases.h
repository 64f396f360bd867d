// Synthetic case traffic for the benchmarks: case k gets a unique valid resident ID, a
// unique mobile number and a common Chinese name, so that every kind of search has
// realistic selectivity (names repeat; IDs, phones and case numbers do not).
#pragma once

#include "model/Date.h"
#include "model/Event.h"
#include "model/Identity.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace ow::bench {

inline const std::vector<std::string>& surnames()
{
    static const std::vector<std::string> s = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
        "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
        "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程",
        "苏", "魏", "吕", "丁", "任", "沈"};
    return s;
}

inline const std::vector<std::string>& givenNames()
{
    static const std::vector<std::string> g
        = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
            "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "志强", "建国", "玉兰", "海燕"};
    return g;
}

inline std::string caseNumberOf(long long k)
{
    char buf[64];
    // 999,999 cases a day: spread k over consecutive days.
    model::Date day = model::Date(2025, 1, 1).addDays(k / 999999);
    std::snprintf(buf, sizeof buf, "330102-%s-%06lld", day.compact().c_str(), k % 999999 + 1);
    return buf;
}

inline std::string residentIdOf(long long k)
{
    model::Date birth = model::Date(1940, 1, 1).addDays(k % 23000);
    char first17[32];
    std::snprintf(first17, sizeof first17, "330102%s%03lld", birth.compact().c_str(), (k / 23000) % 1000);
    return std::string(first17) + *model::gb11643CheckDigit(first17);
}

inline std::string phoneOf(long long k)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "13%09lld", k % 1000000000);
    return buf;
}

inline std::string nameOf(long long k)
{
    return surnames()[static_cast<std::size_t>(k) % surnames().size()]
        + givenNames()[static_cast<std::size_t>(k / 50) % givenNames().size()];
}

// The case.opened event of case k: a person applying for one matter with three materials.
inline model::NewEvent openedEvent(long long k)
{
    using model::Json;
    Json applicant = Json::object();
    applicant["type"] = "person";
    applicant["name"] = nameOf(k);
    applicant["idKind"] = "resident_id";
    applicant["idNumber"] = residentIdOf(k);
    applicant["phone"] = phoneOf(k);
    Json matter = Json::object();
    matter["code"] = "330102-SC-001";
    matter["statutoryLimit"] = "15wd";
    matter["promisedLimit"] = "1wd";
    Json matters = Json::array();
    matters.push_back(matter);
    Json materials = Json::array();
    for (const char* code : {"id_card", "premises_proof", "registration_form"}) {
        Json m = Json::object();
        m["code"] = code;
        m["received"] = true;
        materials.push_back(m);
    }
    Json body = Json::object();
    body["on"] = "2026-03-02";
    body["centre"] = "330102";
    body["window"] = "W03";
    body["applicant"] = applicant;
    body["matters"] = matters;
    body["materials"] = materials;
    return {model::EventType::Opened, caseNumberOf(k), "clerk03", {}, body};
}

// Appends the case.opened events of cases 0 … n-1 in batches of 2000, as intake would.
template<class Store> void appendSyntheticCases(Store& store, long long n)
{
    const long long batch = 2000;
    for (long long k = 0; k < n; k += batch) {
        std::vector<model::NewEvent> events;
        for (long long i = k; i < std::min(n, k + batch); ++i)
            events.push_back(openedEvent(i));
        store.append(events);
    }
}

} // namespace ow::bench
