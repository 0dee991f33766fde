"""Words that say nothing about the technology of a need or a patent.

Three kinds, each of which once explained a match on its own (issue 20: a
steel-plate fatigue patent matched a battery need on 专利, a resonant circuit on
下降):

* function words and patent-drafting boilerplate (一种, 所述, 本发明, 装置 …);
* the business words of a need (专利, 许可, 合作, 寻求, 引进, 企业 …);
* generic qualities and changes (提高, 下降, 简单, 有效, 问题 …) that any field shares.

Matching, keywords and reasons all read this one list (``is_stopword``).
"""

from __future__ import annotations

_FUNCTION = """
    的 了 和 与 及 或 在 是 为 对 等 中 该 将 其 从 由 使 个 件 有 并 而 且 被 把 于 以 之 此 这 那
    各 每 上 下 内 外 时 后 前 可 能 也 还 就 都 又 所 向 至 到 用 如 若 则 即 再 不 无 非 多 少 较
    及其 以及 用于 基于 其中 所述 包括 通过 进行 一个 一种 两个 多个 若干
    可以 能够 能 使得 实现 具有
    以上 以下 进一步 采用 其他 其它 另一 一端 另一端 上述 下述 如下 之间 之一 以便 从而 因此 由于
    同时 然后 并且 或者 以及 根据 按照 关于 对于 作为 利用 使用 设置 设有 位于 相对 分别 依次
    至少 一侧 两侧 一起 之上 之下 当中 方面 部分 相应 对应 所示 如图 图中 附图 其特征 特征 在于
    """
_BOILERPLATE = """
    本发明 本实用新型 实用新型 发明 专利 专利申请 申请 公开 公告 授权 涉及 提供 披露 公布 权利要求
    技术领域 领域 背景技术 技术方案 方案 实施例 实施 具体 优选 所属 方法 装置 系统 设备 结构 组件
    部件 机构 单元 模块 工艺 技术 产品 制备 制作 制造方法 用途 应用 构成 组成 一体 本体
    """
_NEED = """
    需求 寻求 寻找 征集 希望 需要 想要 拟 期望 我们 我司 我方 贵方 公司 企业 单位 有限公司 集团
    许可 转让 合作 技术合作 引进 引入 购买 收购 交易 对接 洽谈 联系 咨询 项目 开发 研发 研究
    合作方式 方式 形式 费用 资金 投资 预算 价格 要求 条件 目标 计划 相关 有关 行业 市场 客户
    问题 解决 解决方案 现状 目前 当前 现有 现阶段 难题 瓶颈 痛点 改进 升级 服务 支持 能力
    """
_GENERIC = """
    获取 获得 得到 生成 提取 输出 输入 接收 发送 判断 确定 计算
    提高 提升 降低 下降 增加 增大 减少 减小 改善 优化 加强 增强 导致 造成 引起 影响 保证 确保
    有效 有效地 高效 简单 方便 便于 容易 快速 稳定 可靠 安全 良好 较好 更好 显著 明显 大大 大量
    较高 较低 过高 过低 过大 过小 不足 不够 存在 出现 发生 产生 满足 达到 适用 适合 广泛 普遍
    效果 作用 功能 性能 效率 质量 成本 使用寿命 寿命 优点 缺点 特点 目的 结果 情况 过程 步骤
    一般 通常 常用 主要 重要 新型 新的 传统 整体 整个 一定 一些 所有 全部 任何 不同 相同 多种
    """
_ENGLISH = """
    method methods system systems apparatus device devices using based thereof wherein which that
    the and for with from into are is be an of to in on by as at or embodiments embodiment example
    patent patents license licence licensing cooperation need needs seek seeking looking company
    """

STOPWORDS = frozenset((_FUNCTION + _BOILERPLATE + _NEED + _GENERIC + _ENGLISH).split())


def is_stopword(term: str) -> bool:
    """True for a stop-word, or a term made only of stop-words (``专利许可``)."""
    term = (term or "").strip().lower()
    if not term:
        return True
    if term in STOPWORDS:
        return True
    if term.isascii():
        return False
    # A compound of stop-words: greedy longest-first cover of the whole term.
    i = 0
    while i < len(term):
        for j in range(len(term), i, -1):
            if term[i:j] in STOPWORDS and j - i >= 2:
                i = j
                break
        else:
            return False
    return True
